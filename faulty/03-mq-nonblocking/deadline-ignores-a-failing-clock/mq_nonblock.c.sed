# Does not check clock_gettime: when it fails, the deadline is built
# from an uninitialised time.
/^    if (clock_gettime(CLOCK_REALTIME, &now) == -1)$/{
N
s/.*/    clock_gettime(CLOCK_REALTIME, \&now);/
}
