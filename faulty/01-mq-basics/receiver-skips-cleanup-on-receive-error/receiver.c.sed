# Returns at once when a receive fails: the queue is never removed.
s/            status = fail("cannot receive from", name);/            return fail("cannot receive from", name);/
