# Opens with O_CREAT "to be safe": a late peer silently creates a second,
# separate queue that its owner never reads, and a probe creates what it
# was only meant to look for.
/Never O_CREAT: a peer that creates a missing queue talks into a/,/queue its owner will never read, or makes the owner's O_EXCL fail. \*\//d
s/    return mq_open(name, oflag);/    return mq_open(name, oflag | O_CREAT, OWNER_MODE, NULL);/
