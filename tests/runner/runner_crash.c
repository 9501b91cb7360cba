/* The runner self-test: a Windows program that crashes (access violation).
 * Under Wine with the default debugger such a crash can exit 0; the runner
 * disables it, and check-runner.sh proves the crash fails a run. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    /* Not NULL: under Wine the page at address 0 can be mapped, and a write
     * there does not fault. A kernel-space address faults everywhere. The
     * pointer itself is volatile, so the compiler cannot see through it. */
    int *volatile nowhere = (int *)(uintptr_t)0xfffffffffffff000ull;
    puts("runner_crash: writing through a bad pointer");
    fflush(stdout);
    *nowhere = 1;
    puts("runner_crash: still alive");
    return 0;
}
