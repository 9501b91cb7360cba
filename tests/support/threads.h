/* Threads for the stress tests, on both platforms. */
#ifndef SHARELSP_TESTS_THREADS_H
#define SHARELSP_TESTS_THREADS_H

typedef struct test_thread test_thread;

/* Starts fn(arg); NULL if the thread could not be started. */
test_thread *test_thread_start(void (*fn)(void *arg), void *arg);
/* Waits for the thread and frees it. */
void test_thread_join(test_thread *thread);

#endif
