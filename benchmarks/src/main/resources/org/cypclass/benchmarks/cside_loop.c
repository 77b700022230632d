/* CSideBench's C side: n calls of a function of add's exported signature, in a loop in C.
 * Compiled by the benchmark's setup with the system's gcc (-O2). */
#include <stdint.h>

typedef int32_t (*add_fn)(void *self, int32_t v, int32_t *result);

/* Returns the sum of the n results, or -1 - i if call i failed. */
int64_t add_loop(add_fn add, void *self, int64_t n) {
    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t result;
        if (add(self, 1, &result) != 0) {
            return -1 - i;
        }
        sum += result;
    }
    return sum;
}
