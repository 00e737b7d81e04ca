# Drains each ready queue until it is empty before looking at the next
# one: a producer that keeps its queue full starves all the others.
s/#include <errno.h>/#include <errno.h>\
#include <limits.h>/
s/mux_drain(s, i, MUX_BUDGET, handler, ctx)/mux_drain(s, i, INT_MAX, handler, ctx)/
