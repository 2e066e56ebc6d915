@playbook
Feature: Rollout playbook rollback triggers
  The playbook (seed 003, WF-11) names five triggers and what each does:

  | Trigger            | Threshold        | Action                  |
  | Error rate         | > 5% for 5 min   | roll back to 0%         |
  | P95 latency        | > 5 s for 10 min | reduce traffic by 50%   |
  | Security violation | any              | immediate full rollback |
  | Cost spike         | > 3x projected   | pause and investigate   |
  | User complaints    | > 10 in 1 h      | manual review           |

  Traffic is played minute by minute in virtual time (100 runs per engine per minute) and the
  real detector and rollback controller judge it after every minute. The policy file holds only
  the playbook's triggers (projected cost: 1 cent per run).

  Background:
    Given the detector policy from "fixtures/policies/rollout-playbook.json"
    And the router is in canary mode at 20%
    And each engine serves 100 runs per minute

  # --- error rate ------------------------------------------------------------

  Scenario: An error rate above 5% for 5 minutes rolls back to 0%
    Given v2 fails 8% of its runs
    When traffic runs for 8 min, evaluated every minute
    Then the first "rollback" came after 6 min of traffic
    And the router settings show kill switch on at 0%
    And the last settings change is:
      | field           | value      |
      | actor           | auto       |
      | kind            | rollback   |
      | reason contains | error_rate |

  Scenario: An error spike shorter than 5 minutes only holds
    Given v2 fails 8% of its runs
    When traffic runs for 4 min, evaluated every minute
    Then the verdict is "inconclusive" with action "hold"
    And "error_rate" is breached but not yet sustained
    And no rollback happened
    And the router settings show kill switch off at 20%

  Scenario: An error rate of exactly 5% is not a trigger
    Given v2 fails 5% of its runs
    When traffic runs for 15 min, evaluated every minute
    Then no rollback happened
    And the verdict is "pass" with action "none"

  Scenario: A recovery before 5 minutes restarts the clock
    Given v2 fails 8% of its runs
    When traffic runs for 4 min, evaluated every minute
    And v2 starts failing 0% of its runs
    And traffic runs for 1 min
    And v2 starts failing 8% of its runs
    And traffic runs for 4 min
    Then no rollback happened
    And "error_rate" is breached but not yet sustained

  # --- latency ---------------------------------------------------------------

  Scenario: A p95 above 5 s for 10 minutes halves the traffic
    Given v2 answers in 6 s at p95
    When traffic runs for 12 min, evaluated every minute
    Then the first "reduce_traffic" came after 11 min of traffic
    And the canary percentage is 10%
    And the router settings show kill switch off at 10%
    And no "rollback" happened

  Scenario: A p95 of exactly 5 s is not a trigger
    Given v2 answers in 5000 ms at p95
    When traffic runs for 15 min, evaluated every minute
    Then no "reduce_traffic" happened
    And the canary percentage is 20%

  # --- security --------------------------------------------------------------

  Scenario: A single security violation rolls back at once, before any minimum of samples
    When a v2 run breaks a security policy
    And the regression detector evaluates
    Then the verdict is "fail" with action "rollback"
    And the breaches are "policy_violation"
    And the router settings show kill switch on at 0%
    And the verdict counted 0 v1 and 1 v2 samples

  Scenario: A security violation amid healthy traffic rolls back at the next evaluation
    When traffic runs for 3 min, evaluated every minute
    And a v2 run breaks a security policy
    And the regression detector evaluates
    Then the verdict is "fail" with action "rollback"
    And the breaches are "policy_violation"
    And the router settings show kill switch on at 0%
    And the settings history holds 1 automatic rollback

  Scenario: With staged rollback, a sustained error rate first halves the traffic
    Given staged rollback is on
    And v2 fails 8% of its runs
    When traffic runs for 6 min, evaluated every minute
    Then the first "rollback" came after 6 min of traffic
    And the rollout is rolling_back
    And the router settings show kill switch off at 10%

  Scenario: With staged rollback, a security violation still rolls back fully at once
    Given staged rollback is on
    When traffic runs for 3 min, evaluated every minute
    And a v2 run breaks a security policy
    And the regression detector evaluates
    Then the verdict is "fail" with action "rollback"
    And the rollout is rolled_back
    And the router settings show kill switch on at 0%
    And the settings history holds 1 automatic rollback

  # --- cost ------------------------------------------------------------------

  Scenario: A cost above 3x the projection pauses the rollout
    Given v2 costs 3.2 cents per run
    When traffic runs for 2 min, evaluated every minute
    Then the breaches are "cost_spike"
    And the verdict is "fail" with action "pause"
    And the rollout is paused
    And the canary percentage is 20%
    And no rollback happened

  Scenario: A cost of exactly 3x the projection is not a trigger
    Given v2 costs 3.0 cents per run
    When traffic runs for 2 min, evaluated every minute
    Then the verdict is "pass" with action "none"
    And the rollout is active

  # --- complaints ------------------------------------------------------------

  Scenario: More than 10 complaints in an hour asks for a manual review
    Given users complain about 11 v2 runs per hour
    When traffic runs for 60 min, evaluated every minute
    Then the verdict is "fail" with action "manual_review"
    And the breaches are "complaints"
    And a manual review is requested
    And the canary percentage is 20%
    And no rollback happened

  Scenario: Exactly 10 complaints in an hour is not a trigger
    Given users complain about 10 v2 runs per hour
    When traffic runs for 60 min, evaluated every minute
    Then a manual review is not requested
    And the verdict is "pass" with action "none"

  # --- severity --------------------------------------------------------------

  Scenario: When several triggers fire, the most severe action wins
    Given v2 costs 3.5 cents per run
    And v2 fails 10% of its runs
    When traffic runs for 6 min, evaluated every minute
    Then the breaches are "error_rate" and "cost_spike"
    And the verdict is "fail" with action "rollback"
    And the router settings show kill switch on at 0%
