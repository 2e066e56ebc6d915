@routing
Feature: Segments and cohorts
  Segments (for example the agent type) can be switched off for v2 or given their own
  percentage; cohort members (for example beta users) always get v2 unless the kill switch is on.
  Every decision is written to the audit log as an engine_route event.

  Scenario: A disabled segment stays on v1 even at 100 %
    Given the router is in canary mode at 100%
    And segment "finance" is disabled
    When session "sess-fin" in segment "finance" is routed
    Then the router selects v1 with reason "segment_disabled"
    And the audit log holds an engine_route event with selected "v1" and reason "segment_disabled"

  Scenario: A segment with its own percentage ignores the global one
    Given the router is in canary mode at 100%
    And segment "sales" is enabled at 0%
    When session "sess-sal" in segment "sales" is routed
    Then the router selects v1 with reason "default"

  Scenario: Other segments follow the global percentage
    Given the router is in canary mode at 100%
    And segment "finance" is disabled
    When session "sess-hr" in segment "hr" is routed
    Then the router selects v2 with reason "canary"

  Scenario Outline: A cohort member gets v2 by <key>, even in primary mode
    Given the router is in primary mode
    And the cohort allow-list holds "beta-ann", "beta-sess-1"
    When <request> is routed
    Then the router selects v2 with reason "cohort"
    And the audit log holds an engine_route event with selected "v2" and reason "cohort"

    Examples:
      | key        | request                                    |
      | user id    | session "sess-55" of user "beta-ann"       |
      | session id | session "beta-sess-1"                      |
      | user only  | user "beta-ann" without a session          |

  Scenario: Cohort membership beats a disabled segment
    Given the router is in canary mode at 0%
    And segment "finance" is disabled
    And the cohort allow-list holds "beta-ann"
    When session "sess-77" of user "beta-ann" in segment "finance" is routed
    Then the router selects v2 with reason "cohort"

  Scenario: Someone outside the cohort stays on v1 in primary mode
    Given the router is in primary mode
    And the cohort allow-list holds "beta-ann"
    When session "sess-88" of user "u-carl" is routed
    Then the router selects v1 with reason "default"
