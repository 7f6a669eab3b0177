// The GNU and Linux calls the test suite's process launcher (TestSupport's
// ChildProcess) needs; Swift's Glibc module does not declare them because
// they sit behind _GNU_SOURCE or in headers it leaves out.
#ifndef IMAGEGEN_SPAWN_SHIM_H
#define IMAGEGEN_SPAWN_SHIM_H

#include <spawn.h>
#include <stddef.h>
#include <sys/types.h>

// pipe2(fds, O_CLOEXEC): neither end may survive into any child's exec.
int ig_pipe_cloexec(int fds[2]);

// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor
// from `lowest` up, whatever the rest of the process left open.
int ig_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

// posix_spawn_file_actions_addchdir_np.
int ig_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

// pidfd_open: a descriptor that polls readable once `pid` has ended, so a wait
// can have a deadline. -1 (errno set) where the kernel has none.
int ig_pidfd_open(pid_t pid);

// posix_openpt, grantpt, unlockpt and ptsname_r in one call: a new
// pseudo-terminal's master (close-on-exec), its slave's path in `name`.
// -1 (errno set) when none can be had.
int ig_open_pty(char *name, size_t capacity);

#endif
