#include "signal_shim.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define IG_SLOTS 256
#define IG_PATH_MAX 4096

enum { SLOT_FREE = 0, SLOT_FILLING = 1, SLOT_READY = 2 };

static char paths[IG_SLOTS][IG_PATH_MAX];
static int states[IG_SLOTS];

int ig_register_temporary(const char *path) {
    size_t length = strlen(path);
    if (length >= IG_PATH_MAX) return -1;
    for (int slot = 0; slot < IG_SLOTS; slot++) {
        int expected = SLOT_FREE;
        if (__atomic_compare_exchange_n(&states[slot], &expected, SLOT_FILLING, 0,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            memcpy(paths[slot], path, length + 1);
            __atomic_store_n(&states[slot], SLOT_READY, __ATOMIC_RELEASE);
            return slot;
        }
    }
    return -1;
}

void ig_forget_temporary(int slot) {
    if (slot < 0 || slot >= IG_SLOTS) return;
    __atomic_store_n(&states[slot], SLOT_FREE, __ATOMIC_RELEASE);
}

static int live_line_shown;

void ig_set_live_line_shown(int shown) {
    __atomic_store_n(&live_line_shown, shown, __ATOMIC_RELEASE);
}

// The terminal settings before echo was turned off; saved_fd is -1 when
// nothing is to be restored. tcsetattr is async-signal-safe.
static struct termios saved_termios;
static int saved_fd = -1;

int ig_terminal_echo_off(int fd) {
    struct termios current;
    if (tcgetattr(fd, &current) != 0) return -1;
    saved_termios = current;
    current.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
    __atomic_store_n(&saved_fd, fd, __ATOMIC_RELEASE);
    if (tcsetattr(fd, TCSAFLUSH, &current) != 0) {
        __atomic_store_n(&saved_fd, -1, __ATOMIC_RELEASE);
        return -1;
    }
    return 0;
}

void ig_terminal_restore(void) {
    int fd = __atomic_exchange_n(&saved_fd, -1, __ATOMIC_ACQ_REL);
    if (fd >= 0) tcsetattr(fd, TCSAFLUSH, &saved_termios);
}

static void on_termination(int signal_number) {
    // A prompt with echo off must not leave the user's shell without it.
    ig_terminal_restore();
    for (int slot = 0; slot < IG_SLOTS; slot++) {
        if (__atomic_load_n(&states[slot], __ATOMIC_ACQUIRE) == SLOT_READY) unlink(paths[slot]);
    }
    // The message goes where the progress line was, not after it.
    static const char erase[] = "\r\033[K";
    ssize_t ignored = 0;
    if (__atomic_load_n(&live_line_shown, __ATOMIC_ACQUIRE)) ignored = write(STDERR_FILENO, erase, sizeof erase - 1);
    static const char interrupted[] = "imagegen: interrupted; no partial files were left\n";
    ignored = write(STDERR_FILENO, interrupted, sizeof interrupted - 1);
    (void)ignored;
    _exit(128 + signal_number);
}

void ig_install_termination_cleanup(void) {
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_termination;
    sigfillset(&action.sa_mask);
    sigset_t unblock;
    sigemptyset(&unblock);
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        // An ignored signal stays ignored (`nohup imagegen …` must survive the hangup).
        struct sigaction previous;
        if (sigaction(stops[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        sigaction(stops[i], &action, NULL);
        sigaddset(&unblock, stops[i]);
    }
    // The blocked mask is inherited across exec: a parent that blocks these
    // signals in its spawning thread (Foundation's Process does) would leave
    // imagegen deaf to SIGTERM and Ctrl-C.
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}
