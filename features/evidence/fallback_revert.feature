@evidence @wiremock
Feature: Revert to v1 when fallbacks exceed 10 % over the last 20 missions
  The broadened-rollout guardrail of the evidence log: if the fallback rate exceeds 10 % over a
  rolling 20-mission window, the regression guard rolls back and every request goes to v1.
  Exactly 10 % is not a breach.

  Background:
    Given the planner engines are stubbed with WireMock
    And v2 fails every mission with an injected fault
    And the router is in canary mode at 0%
    And the cohort allow-list holds "pilot-ana"
    And the regression guard evaluates at the end of every window

  Scenario: 3 fallbacks in the last 20 missions (15 %) revert to v1
    When the canary window "Limited cohort window #5" carries 40 missions from cohort user "pilot-ana", the last 3 with an injected v2 fault
    Then the guard rolled back because "fallback_rate (V2: 15"
    And the window decision is HOLD_SHADOW
    And every request now goes to v1 because of the kill switch
    When user "pilot-ana" without a session is routed
    Then the router selects v1 with reason "kill_switch"

  Scenario: 2 fallbacks in the last 20 missions (exactly 10 %) do not revert
    When the canary window "Limited cohort window #5" carries 40 missions from cohort user "pilot-ana", the last 2 with an injected v2 fault
    Then the guard took no action
    And the window decision is PARTIAL_TIMEOUT_RECOVERED
    When user "pilot-ana" without a session is routed
    Then the router selects v2 with reason "cohort"

  Scenario: Fallbacks older than the last 20 missions no longer count
    When the canary window "Limited cohort window #6" carries 25 missions from cohort user "pilot-ana", the last 5 with an injected v2 fault
    Then the guard took no action
    And the window decision is PARTIAL_TIMEOUT_RECOVERED
    When the canary window "Limited cohort window #7" carries 20 missions from cohort user "pilot-ana"
    Then the guard took no action
    And the window decision is READY_FOR_LIMITED_COHORT_PILOT
    And the evidence log reads:
      | window                   | fallback rate | decision                       |
      | Limited cohort window #6 | 0.200         | PARTIAL_TIMEOUT_RECOVERED      |
      | Limited cohort window #7 | 0.000         | READY_FOR_LIMITED_COHORT_PILOT |
