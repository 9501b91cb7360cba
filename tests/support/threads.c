#include "threads.h"

#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>

struct test_thread {
    HANDLE handle;
    void (*fn)(void *);
    void *arg;
};

static DWORD WINAPI test_thread_main(LPVOID param)
{
    test_thread *t = param;
    t->fn(t->arg);
    return 0;
}

test_thread *test_thread_start(void (*fn)(void *arg), void *arg)
{
    test_thread *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    t->handle = CreateThread(NULL, 0, test_thread_main, t, 0, NULL);
    if (t->handle == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

void test_thread_join(test_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    free(t);
}
#else
#include <pthread.h>

struct test_thread {
    pthread_t id;
    void (*fn)(void *);
    void *arg;
};

static void *test_thread_main(void *param)
{
    test_thread *t = param;
    t->fn(t->arg);
    return NULL;
}

test_thread *test_thread_start(void (*fn)(void *arg), void *arg)
{
    test_thread *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->id, NULL, test_thread_main, t) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

void test_thread_join(test_thread *t)
{
    pthread_join(t->id, NULL);
    free(t);
}
#endif
