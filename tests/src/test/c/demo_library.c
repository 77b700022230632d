/* A user's own C library, called from Java through NativeLibrary (README, "Your own C"). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* The size of a file in bytes; -1 with errno set on failure. */
long demo_file_size(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    int saved = errno;
    close(fd);
    errno = saved;
    return size;
}

/* a + b; cannot fail. */
int demo_add(int a, int b) {
    return a + b;
}

/* A greeting for 0 and 1; NULL with errno EINVAL for anything else. */
const char *demo_greeting(int which) {
    static const char *const greetings[] = {"hello", "bonjour"};
    if (which < 0 || which > 1) {
        errno = EINVAL;
        return NULL;
    }
    return greetings[which];
}

/* 0 when allowed; else the error number negated, kernel style: -EACCES. */
int demo_check_access(int allowed) {
    return allowed ? 0 : -EACCES;
}
