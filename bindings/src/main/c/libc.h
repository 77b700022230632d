/*
 * The C declarations Cypclass for Java binds with jextract.
 *
 * Only the names listed in ../../../libc-includes.txt are generated; this header just brings
 * their declarations into scope. Regenerate with ../../../generate after changing either file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
