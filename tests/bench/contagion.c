/*
 * The yardstick of `npm run bench` for the pure contagion case: bond percolation from the
 * target on a graph read from a file (n, then one "i j" pair per line), each edge open with
 * probability p, by breadth-first search; one xoshiro128** stream per run, seeded by a
 * splitmix32-style hash of the run index. Prints runs per second and the mean cluster size
 * (the states at war other than the initiator, as in MODEL.md's special case): runs per second of
 * CPU time (clock) and of wall-clock time (CLOCK_MONOTONIC), then the mean.
 * Usage: contagion GRAPH P RUNS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t s[4];
static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t next(void) {
  uint32_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return r;
}
static uint32_t mix(uint32_t x) { x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16; return x; }

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  FILE *f = fopen(argv[1], "r");
  int n, a, b, m = 0, cap = 1024;
  if (!f || fscanf(f, "%d", &n) != 1) return 2;
  int *ea = malloc(cap * sizeof(int)), *eb = malloc(cap * sizeof(int));
  while (fscanf(f, "%d %d", &a, &b) == 2) {
    if (m == cap) { cap *= 2; ea = realloc(ea, cap * sizeof(int)); eb = realloc(eb, cap * sizeof(int)); }
    ea[m] = a; eb[m] = b; m++;
  }
  int *deg = calloc(n + 1, sizeof(int)), *adj = malloc(2 * m * sizeof(int)), *fill = malloc(n * sizeof(int));
  for (int e = 0; e < m; e++) { deg[ea[e] + 1]++; deg[eb[e] + 1]++; }
  for (int i = 0; i < n; i++) deg[i + 1] += deg[i];
  for (int i = 0; i < n; i++) fill[i] = deg[i];
  for (int e = 0; e < m; e++) { adj[fill[ea[e]]++] = eb[e]; adj[fill[eb[e]]++] = ea[e]; }
  double p = atof(argv[2]);
  long runs = atol(argv[3]);
  uint32_t threshold = (uint32_t)(p * 4294967296.0);
  int *queue = malloc(n * sizeof(int));
  uint32_t *seen = calloc(n, sizeof(uint32_t));
  long total = 0;
  clock_t t0 = clock();
  double w0 = wall();
  for (long r = 1; r <= runs; r++) {
    for (int k = 0; k < 4; k++) s[k] = mix((uint32_t)r * 4 + k + 0x9e3779b9u);
    int head = 0, tail = 0;
    queue[tail++] = 1; /* the target, state 1; the initiator (0) has no alliances */
    seen[1] = (uint32_t)r;
    while (head < tail) {
      int v = queue[head++];
      for (int x = deg[v]; x < deg[v + 1]; x++) {
        int w = adj[x];
        if (seen[w] == (uint32_t)r) continue;
        if (next() < threshold) { seen[w] = (uint32_t)r; queue[tail++] = w; }
      }
    }
    total += tail;
  }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC, wallSecs = wall() - w0;
  printf("%.0f %.0f %.4f\n", runs / secs, runs / wallSecs, (double)total / runs);
  return 0;
}
