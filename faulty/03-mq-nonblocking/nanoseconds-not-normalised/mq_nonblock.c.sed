# Adds the milliseconds to tv_nsec without carrying into tv_sec: past the
# end of a second tv_nsec is >= 1e9, and the timed calls fail with EINVAL.
/The sum can pass a second; tv_nsec >= 1e9 is EINVAL/,/^    }$/d
