# Waits once: a signal handler interrupting sigtimedwait (EINTR) is
# reported as a failure instead of waiting again.
s/^    while ((sig = sigtimedwait(&set, &info, timeout)) == -1 && errno == EINTR)$/    sig = sigtimedwait(\&set, \&info, timeout);/
/^    sig = sigtimedwait(&set, &info, timeout);$/{
n
/^        ;$/d
}
