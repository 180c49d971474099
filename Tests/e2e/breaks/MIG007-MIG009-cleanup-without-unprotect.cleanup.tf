# The cleanup straight after the cutover, without the cleanup-unprotect deploy: the source is
# still protected in the state and has no final snapshot identifier there. (No override: the
# cleanup configuration itself, planned from the cutover state.)
