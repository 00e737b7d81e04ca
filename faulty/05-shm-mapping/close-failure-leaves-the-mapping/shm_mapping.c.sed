# Reports a failed close, but forgets the mapping it had just made: the
# caller gets NULL and can never unmap it.
s/^        munmap(addr, len);  \/\* undoing: the close error is the one to report \*\/$/        \/* the close error is the one to report *\//
