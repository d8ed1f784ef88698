# Every variable of the stack at its default, unless the comment says otherwise. Copy it, change what you need:
#   cp infra/example.tfvars infra/state/prod.tfvars   (infra/state/ is git-ignored)
#   node scripts/infra.js plan -var-file="$PWD/infra/state/prod.tfvars"
# docs/DEPLOY.md explains each one; `terraform plan` checks every value against the variable's validation.

# When EventBridge Scheduler starts an extraction (UTC). "" disables the schedule (the default).
schedule_expression = "rate(12 hours)"

# With the archive in the stack (INFRA_ARCHIVE_SYNC_HOURS): "archive-sync" (the default) runs the sync state machine
# on its own schedule and leaves schedule_expression unused; "extraction" runs plain extractions on
# schedule_expression instead. Without the archive it changes nothing.
scheduled_run = "archive-sync"

# Exchange address the functions call.
bitget_base_url = "https://api.bitget.com"

# arm64 (about 20 % cheaper) or x86_64.
architecture = "arm64"

# Memory per function (MB); a function left out keeps its default.
function_memory_mb = {
  coordinator       = 256
  time_range_mapper = 256
  symbol_searcher   = 1024
  symbol_unifier    = 512
  symbol_processor  = 2048
  result_collector  = 2048
  api               = 512
}

# Reserved concurrency per function; absent or -1: none (the account pool). Accounts with a concurrency quota of 10
# cannot reserve any. Keep symbol_processor at or above lane_concurrency.
reserved_concurrency = {}

# Map MaxConcurrency over lanes and over symbol-search windows (1..40).
lane_concurrency   = 10
window_concurrency = 10

# Logs, working files, results (0 keeps results forever).
log_retention_days     = 30
runs_expiration_days   = 7
results_retention_days = 3653

# ALL, ERROR or FATAL; execution data is never logged.
state_machine_log_level = "ERROR"

# Subscribed to the alarm topic ("" subscribes nobody).
alarm_email = ""

# Days a destroyed secret stays recoverable (0, or 7..30).
secret_recovery_window_days = 7

# Let terraform destroy delete a bucket that still holds results.
force_destroy = false

# A VPC for the api function (INFRA_ENABLE_API=true) to reach a private database: both lists, or neither.
api_subnet_ids         = []
api_security_group_ids = []
