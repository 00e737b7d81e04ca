# "The publisher writes, so PROT_WRITE": the mapping is write-only
# ("-w-s" in /proc/self/maps), not the read-and-write one the spec asks
# for; x86 lets the reads through, so only the mapping's permissions tell.
s/PROT_READ | PROT_WRITE/PROT_WRITE/
