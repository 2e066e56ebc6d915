@playbook
Feature: Progressive rollout tiers and their gates
  Phase 3 of the playbook (seed 003) scales v2 to full traffic in tiers, holding each for at least
  a day and leaving it only when its gate says yes:

  | Day   | Traffic | Gate                 |
  | 1-2   | 10%     | Manual approval      |
  | 3-5   | 25%     | Error rate < 2%      |
  | 6-8   | 50%     | P50 latency stable   |
  | 9-10  | 75%     | No rollback in 48h   |
  | 11+   | 100%    | Full production      |

  Every tier also needs the real detector to pass (3 healthy hourly evaluations in a row), and
  the rollback rehearsal (engine set to v1, smoke scenarios, previous stage restored) must pass
  before 100%.
  Traffic is played hour by hour in virtual time; approvers are the only stand-ins.

  Background:
    Given the router is in canary mode at 0%
    And a tier needs 3 healthy evaluations in a row
    And the progressive tiers:
      | tier     | traffic | min_hold | gate            | approver     | metric         | below | for |
      | tier-10  | 10      | 24h      | manual_approval | on-call lead |                |       |     |
      | tier-25  | 25      | 24h      | detector        |              | error_rate     | 0.02  | 24h |
      | tier-50  | 50      | 24h      | detector        |              | p50_latency_ms | 1000  | 24h |
      | tier-75  | 75      | 24h      | rollback_rehearsal |           | rollbacks      | 1     | 48h |
      | tier-100 | 100     | 72h      | detector        |              |                |       |     |

  Scenario: Healthy traffic climbs every tier, holding each at least a day
    When the tiers are rolled out over 8 days, evaluated every 1 hour
    Then the rollout went through 10%, 25%, 50%, 75% and 100%
    And every tier was held at least 24 hours
    And a manual_approval gate passed mentioning "approved by on-call lead"
    And a rollback_rehearsal gate passed mentioning "previous stage restored"
    And the router settings show kill switch off at 100%

  Scenario: The full production tier completes after 72 stable hours
    When the tiers are rolled out over 10 days, evaluated every 1 hour
    Then the rollout status is completed

  Scenario: Without the approval the rollout stays at 10%
    Given "on-call lead" refuses to approve
    When the tiers are rolled out over 4 days, evaluated every 1 hour
    Then the rollout holds at tier "tier-10"
    And the rollout is held because "manual_approval gate failed"
    And a manual_approval gate failed mentioning "on-call lead did not approve"

  Scenario: An error rate of 3% holds the rollout at 25% without rolling back
    Given v2 fails 3% of its runs
    When the tiers are rolled out over 5 days, evaluated every 1 hour
    Then the rollout holds at tier "tier-25"
    And the rollout is held because "exit criterion error_rate < 0.02 for 1d not met"
    And no rollback happened

  Scenario: A regression during a tier rolls everything back
    When the tiers are rolled out over 3 days, evaluated every 1 hour
    And v2 starts failing 8% of its runs
    And the rollout continues for 1 day
    Then the rollout status is rolled back
    And the router settings show kill switch on at 0%
    And the settings history holds 1 automatic rollback
