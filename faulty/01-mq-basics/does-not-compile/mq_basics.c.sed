# A stray edit: the compiler message quotes bytes that are not UTF-8,
# which the results.json must still carry as valid JSON.
s/return mq_close(q);/return mq_close(q) \xff\x01 "broken";/
