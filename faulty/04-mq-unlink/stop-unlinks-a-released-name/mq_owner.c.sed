# Unlinks the name in owner_stop whether or not it was released: after an
# early release the name is gone (ENOENT) or, worse, belongs to a newer
# queue, which this removes.
/Released early: the name is gone, or belongs to a newer queue now,/,/which an unlink here would steal from its owner. \*\//d
s/if (!o->name_released && mq_unlink(o->name) == -1 && failed == 0)/if (mq_unlink(o->name) == -1 \&\& failed == 0)/
