# The loop over the subscriber table runs one slot too far: it reads the
# bytes just past the table (past the record) as a queue name.
/^static void notify_all(/,/^}/{
s/i < PS_MAX_SUBSCRIBERS/i <= PS_MAX_SUBSCRIBERS/
}
