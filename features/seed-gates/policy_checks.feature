@seedgates @detection
Feature: QA writes a policy check as a table
  A check of policy canarysim.policy/v2 can be written straight into a scenario: one row per check,
  the columns are the policy's fields. The real policy loader validates the table (its JSON Schema)
  and the real detector judges the played runs.

  Background:
    Given the router is in canary mode at 10%
    And each engine serves 100 runs per minute
    And the runs come from the agents "STOCK_CHECKER" and "SICK_CALLER"

  Scenario: A rate check over one agent's runs breaches with the observed rate
    Given the policy check:
      | name                 | metric   | aggregate | where             | max | action   |
      | llm_rate_sick_caller | llm_call | rate      | agent=SICK_CALLER | 25% | rollback |
    And v2 calls the LLM on 30% of SICK_CALLER runs
    When traffic runs for 2 min, evaluated every minute
    Then the check "llm_rate_sick_caller" breached with 30%
    And the check "llm_rate_sick_caller" breached with reason "llm_rate_sick_caller (V2 rate llm_call where agent=SICK_CALLER: 0.3 > 0.25)"
    And the router settings show kill switch on at 0%

  Scenario: A sustained check holds until every evaluation of its duration breached, then acts
    Given the policy checks:
      | name          | metric         | aggregate | max | sustain | window | action         |
      | slow_missions | latency_ms     | p95       | 900 | 5 min   | 5 min  | reduce_traffic |
    And v2 answers in 1000ms at p95
    When traffic runs for 3 min, evaluated every minute
    Then the verdict is "inconclusive" with action "hold"
    When traffic runs for 5 min, evaluated every minute
    Then the check "slow_missions" breached with 1000
    And the check "slow_missions" breached with action "reduce_traffic"

  Scenario: A ratio to v1 on a numeric metric
    Given the policy check:
      | name           | metric            | aggregate | compare | max | action        |
      | staff_response | staff_response_ms | p50       | ratio   | 1.2 | manual_review |
    And v1 reports "staff_response_ms" = 1000 on every run
    And v2 reports "staff_response_ms" = 1300 on every run
    When traffic runs for 1 min, evaluated every minute
    Then the check "staff_response" breached with 1300
    And a manual review is requested

  Scenario: A check with a lower bound
    Given the policy window is 15 min
    And the policy check:
      | name             | metric          | aggregate | min | action |
      | orders_completed | order_completed | rate      | 70% | hold   |
    And v2 reports "order_completed" on 60% of runs
    When traffic runs for 1 min, evaluated every minute
    Then the check "orders_completed" breached with 60%
    And the verdict is "fail" with action "hold"
