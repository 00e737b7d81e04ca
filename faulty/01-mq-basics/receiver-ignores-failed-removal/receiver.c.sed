# Reports a failed mqb_destroy but still exits 0.
s/        status = fail("cannot remove", name);/        fail("cannot remove", name);/
