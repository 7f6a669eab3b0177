// Cleanup on SIGINT/SIGTERM/SIGHUP. A signal handler may only call
// async-signal-safe functions, which Swift cannot promise, so the handler and
// the table of temporary files it removes live in C.
#ifndef IMAGEGEN_SIGNAL_SHIM_H
#define IMAGEGEN_SIGNAL_SHIM_H

// Installs the handlers: remove every registered temporary file, say so on
// standard error, exit with 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM).
void ig_install_termination_cleanup(void);

// Remembers a temporary file to remove if the process is stopped. Returns a
// slot number for ig_forget_temporary, or -1 when the table is full.
int ig_register_temporary(const char *path);

void ig_forget_temporary(int slot);

// Whether a live progress line is on standard error now: the handler erases
// it before saying the run was interrupted.
void ig_set_live_line_shown(int shown);

// Turns echo off on the terminal `fd` (a key typed at a prompt stays off the
// screen), remembering the settings so that ig_terminal_restore, or the
// termination handler if the user presses Ctrl-C, puts them back. 0 on
// success; -1 with errno set (not a terminal) and nothing changed.
int ig_terminal_echo_off(int fd);

// Restores what ig_terminal_echo_off changed; does nothing if it changed nothing.
void ig_terminal_restore(void);

// Process policy beside the signals: blocks of `bytes` or more are mapped
// on their own and returned to the system when freed, instead of staying in
// the heap (glibc's mallopt M_MMAP_THRESHOLD).
#include <stddef.h>
void ig_mmap_allocations_from(size_t bytes);

#endif
