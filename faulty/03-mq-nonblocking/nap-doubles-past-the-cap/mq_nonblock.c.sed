# Doubles the nap once more when it has reached NB_MAX_NAP_MS (<= where <
# belongs): after 64 ms the naps are 128 ms, past the cap.
s/        if (wait_ms < NB_MAX_NAP_MS)/        if (wait_ms <= NB_MAX_NAP_MS)/
