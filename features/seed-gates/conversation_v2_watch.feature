@seedgates @conversation
Feature: Conversation engine v2: the 15-minute watch and the 24 h / 48 h checks
  The rollout record of the conversation engine (seed 004) watches v2 for 15 minutes after the kill
  switch is turned off:

  | Metric             | Threshold            |
  | [V2-ANOMALY] count | 0                    |
  | llm_rate %         | <25% for SICK_CALLER |
  | fallback_rate %    | <5%                  |
  | idempotency_hits   | Normal               |

  and checks llm_rate, fallback_rate and errors/anomalies again after 24 and 48 hours. The policy
  fixtures/policies/conversation-v2-watch.json declares these checks; the real detector judges the
  played runs (100 per engine per minute, half STOCK_CHECKER, half SICK_CALLER) after every minute and
  the real rollback controller acts. "Normal" idempotency hits means at most twice the usual 2 % of
  runs (once the kill switch is off, v1 serves nothing to compare with).

  Background:
    Given the detector policy from "fixtures/policies/conversation-v2-watch.json"
    And the router is in canary mode at 10%
    And each engine serves 100 runs per minute
    And the runs come from the agents "STOCK_CHECKER" and "SICK_CALLER"
    And v2 calls the LLM on 10% of SICK_CALLER runs
    And v2 logs no [V2-ANOMALY] line
    And v1 hits an idempotency key on 2% of runs
    And v2 hits an idempotency key on 2% of runs

  Scenario: A healthy 15-minute watch passes every check
    When traffic runs for 15 min, evaluated every minute
    Then the verdict is "pass" with action "none"
    And the check "llm_rate_sick_caller" did not breach
    And no rollback happened
    And the router settings show kill switch off at 10%

  Scenario: v2 calling the LLM on 30% of SICK_CALLER runs rolls back
    Given v2 calls the LLM on 30% of SICK_CALLER runs
    When traffic runs for 2 min, evaluated every minute
    Then the check "llm_rate_sick_caller" breached with 30%
    And the check "llm_rate_sick_caller" breached with action "rollback"
    And the router settings show kill switch on at 0%

  Scenario: An llm_rate of exactly 25% for SICK_CALLER is tolerated
    Given v2 calls the LLM on 25% of SICK_CALLER runs
    When traffic runs for 15 min, evaluated every minute
    Then the check "llm_rate_sick_caller" did not breach
    And the verdict is "pass" with action "none"
    And no rollback happened

  Scenario: LLM calls of other agents do not count toward SICK_CALLER's rate
    Given v2 calls the LLM on 60% of STOCK_CHECKER runs
    When traffic runs for 15 min, evaluated every minute
    Then the check "llm_rate_sick_caller" did not breach
    And the verdict is "pass" with action "none"
    And no rollback happened

  Scenario: A watch without any SICK_CALLER run cannot judge the LLM rate and never passes
    Given the runs come from the agent "STOCK_CHECKER"
    When traffic runs for 5 min, evaluated every minute
    Then the verdict is "insufficient_data" with action "none"
    And the check "llm_rate_sick_caller" had insufficient data
    And no rollback happened

  Scenario: One [V2-ANOMALY] line rolls back at the next evaluation
    When traffic runs for 3 min, evaluated every minute
    And a v2 run logs a [V2-ANOMALY] line
    And traffic runs for 1 min, evaluated every minute
    Then the check "watch_anomalies" breached with 1
    And the check "watch_anomalies" breached with action "rollback"
    And the router settings show kill switch on at 0%

  Scenario: A fallback rate of 6% rolls back; the 15-minute watch allows less than 5%
    Given v2 falls back to v1 on 6% of its runs
    When traffic runs for 1 min, evaluated every minute
    Then the check "watch_fallback_rate" breached with 6%
    And the router settings show kill switch on at 0%

  Scenario: A fallback rate of exactly 5% is tolerated
    Given v2 falls back to v1 on 5% of its runs
    When traffic runs for 15 min, evaluated every minute
    Then the check "watch_fallback_rate" did not breach
    And the verdict is "pass" with action "none"
    And no rollback happened

  Scenario: Idempotency hits at 2.5 times the usual rate are not normal: manual review
    Given v2 hits an idempotency key on 5% of runs
    When traffic runs for 1 min, evaluated every minute
    Then the check "idempotency_hits_normal" breached with 5%
    And the check "idempotency_hits_normal" breached with action "manual_review"
    And a manual review is requested
    And the router settings show kill switch off at 10%

  Scenario: Idempotency hits are judged against the usual rate even when v1 reports none
    Given v1 hits an idempotency key on 0% of runs
    And v2 hits an idempotency key on 4% of runs
    When traffic runs for 15 min, evaluated every minute
    Then the check "idempotency_hits_normal" did not breach
    And the verdict is "pass" with action "none"

  Scenario: The 24-hour check still sees an anomaly the 15-minute watch has left behind
    When a v2 run logs a [V2-ANOMALY] line
    And traffic runs for 30 min, evaluated every 30 min
    Then the check "watch_anomalies" did not breach
    And the check "day_errors_and_anomalies" breached with 1
    And the router settings show kill switch on at 0%

  Scenario: The 48-hour check rolls back on an error rate above 1%
    Given v2 fails 2% of its runs
    When traffic runs for 1 min, evaluated every minute
    Then the check "two_day_error_rate" breached with 2%
    And the router settings show kill switch on at 0%
