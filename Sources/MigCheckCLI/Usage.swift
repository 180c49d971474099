import MigCheckFoundation
import MigCheckReports

/// `migcheck --help`.
let usage = """
USAGE: migcheck [check] [OPTIONS] FILE...
       migcheck topology [OPTIONS] FILE...
       migcheck summary [--input KIND] [--all] FILE...
       migcheck rules [--format markdown] [--markdown-dir DIR]
       migcheck explain RULE [--format markdown]
       migcheck default-policy

Checks a Terraform plan (or state) of an Aurora PostgreSQL to Aurora migration with AWS DMS
against the invariants of its runbook phase, before `terraform apply` runs it.

ARGUMENTS:
  FILE                    The JSON of `terraform show -json tfplan` (a plan), of `terraform show -json`
                          (a state), or a raw terraform.tfstate. `-` reads standard input.

SUBCOMMANDS:
  check                   (default) Run the rules of the phase and report the findings.
  topology                Print the migration's picture: source, target, instances, parameter groups,
                          secrets and DMS, and why each cluster got its role.
  summary                 Print what was read: document kind, versions, resource instances by action.
  rules                   List the rules (--format markdown: the index of the rule pages).
  explain RULE            Show one rule (e.g. MIG006) with its rationale, runbook step and an example
                          (--format markdown: its page, as in docs/rules/).
  default-policy          Print the built-in policy (the same as Policies/migcheck.json).

OPTIONS:
  --phase <phase>         prepare, full-load, cutover or cleanup. Default: the policy's, else inferred
                          from the plan (the report says why).
  --source <address>      The source cluster, e.g. aws_rds_cluster.legacy. Default: inferred.
  --target <address>      The target cluster. Default: inferred.
  --policy <file>         Policy file. Default: ./migcheck.json when present, else the built-in policy.
  --fail-on <level>       error (default), warning or never: the lowest severity that exits 1.
  --format <format>       What goes to standard output: text (default), json, sarif, junit, github, markdown.
  --output <format>=<path>
                          Also write a report to a file; repeat for several (e.g. --output sarif=migcheck.sarif).
  --sarif-category <id>   The SARIF runs' automationDetails.id, e.g. migcheck-production (one code scanning
                          category per environment). Default: migcheck/<phase>/<file>/.
  --source-dir <dir>      Point findings at the .tf file and line that declares each resource (local module
                          sources followed); paths are reported as DIR/…, so pass DIR relative to the repository root.
  --input <kind>          Require FILE to be a plan, state or tfstate (detected otherwise); another kind is an
                          error that says how to write the one required.
  --rules-url <url>       Base https URL of the rule pages that SARIF's helpUri and explain link to, for a fork.
                          Default: \(MigCheckVersion.rulesURL).
  --markdown-dir <dir>    (rules) Write the rule pages (README.md and one MIGnnn.md per rule) into DIR,
                          e.g. docs/rules.
  --all                   (summary) List every resource instance, not just the first \(ReadSummary.listLimit) per action.
  --version               Show the version.
  -h, --help              Show this help.

EXAMPLES:
  terraform plan -out tfplan && terraform show -json tfplan > plan.json
  migcheck plan.json
  migcheck --phase cutover --fail-on warning plan.json
  migcheck --format sarif --output junit=migcheck.xml --source-dir infra plan.json > migcheck.sarif
  migcheck --source aws_rds_cluster.legacy --target aws_rds_cluster.primary plan.json
  terraform show -json | migcheck --input state -
  migcheck topology plan.json
  migcheck explain MIG006

EXIT STATUS:
  0  clean (no finding at or above --fail-on)
  1  findings at or above --fail-on; unverified findings count as warnings unless the policy says otherwise
  2  bad input or usage: one line on standard error names the file, line:column and what was expected;
     also an --output that is an input or another output (refused before anything is written), and a
     failed write (a report file is replaced only once complete)

ENVIRONMENT:
  NO_COLOR                Set, to any value or none, to turn colour off (colour is used only on a terminal).
"""
