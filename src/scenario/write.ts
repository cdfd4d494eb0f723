import { Document, isMap, isSeq, type YAMLSeq } from 'yaml';
import type { Scenario } from '../model/types.js';

/**
 * A scenario as an ordinary, hand-editable YAML scenario file: a `#` comment header (where the
 * numbers come from), then one state, border or alliance per line, as in MODEL.md ("Files").
 * `allianceComments[i]`, where given, is written on a comment line above alliance i.
 */
export function scenarioToYaml(scenario: Scenario, header: string, allianceComments: string[] = []): string {
  const body: Record<string, unknown> = {
    name: scenario.name,
    states: scenario.states.map((s) => ({
      id: s.id,
      name: s.name,
      capability: s.capability,
      ...(s.greatPower ? { greatPower: true } : {}),
      ...(s.ccode !== undefined ? { ccode: s.ccode } : {}),
    })),
    borders: scenario.borders,
    alliances: scenario.alliances.map((a) => ({
      name: a.name,
      type: a.type,
      members: a.members,
      ...(a.reliability !== undefined ? { reliability: a.reliability } : {}),
      ...(a.nonprovocation ? { nonprovocation: true } : {}),
      ...(a.guarantors !== undefined ? { guarantors: a.guarantors } : {}),
      ...(a.adversaries !== undefined ? { adversaries: a.adversaries } : {}),
      ...(a.conditional ? { conditional: true } : {}),
      ...(a.cow !== undefined ? { cow: a.cow } : {}),
      ...(a.atop !== undefined ? { atop: a.atop } : {}),
    })),
    crisis: scenario.crisis,
  };
  if (scenario.params && Object.keys(scenario.params).length > 0) body.params = scenario.params;
  const doc = new Document(body, { aliasDuplicateObjects: false });
  for (const key of ['states', 'alliances', 'borders']) {
    const seq = doc.get(key, true) as YAMLSeq | undefined;
    if (!isSeq(seq)) continue;
    for (const item of seq.items) if (isMap(item) || isSeq(item)) item.flow = true;
    if (seq.items.length === 0) seq.flow = true;
  }
  const alliances = doc.get('alliances', true) as YAMLSeq | undefined;
  if (isSeq(alliances))
    alliances.items.forEach((item, i) => {
      const comment = allianceComments[i];
      if (comment && (isMap(item) || isSeq(item))) item.commentBefore = ` ${comment}`;
    });
  const crisis = doc.get('crisis', true);
  if (isMap(crisis)) crisis.flow = true;
  const comment = header
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
  return `${comment}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: true })}`;
}
