@evidence @wiremock
Feature: Evidence windows from shadow to broader traffic
  Every observation window of the rollout becomes one row of the evidence log (time, window,
  scope, fallback rate, p95, decision, notes). The fallback rate is v2's failure rate (a failed
  shadow counts: it is the fallback that would have happened) and reads n/a when v2 ran nothing.
  A shadow window promotes only when it carried v2 traffic without failures; a window with an injected fault holds the shadow; limited-cohort and
  broader windows follow once the shadow is clean.

  Background:
    Given the planner engines are stubbed with WireMock
    And v2 fails every mission with an injected fault

  Scenario: The seed's rollout, window by window
    Given the router is in shadow mode
    When the kickoff is logged
    And the shadow window "Shadow baseline #1" carries 0 missions
    Then the window decision is HOLD_SHADOW
    When the shadow window "Shadow window #2" carries 4 missions, the last 1 with an injected v2 fault
    Then the window decision is HOLD_SHADOW
    And the window fallback rate reads 0.250
    When the shadow window "Shadow window #3" carries 4 missions
    Then the window decision is READY_FOR_LIMITED_COHORT_PILOT
    Given the router is in canary mode at 0%
    And the cohort allow-list holds "pilot-ana"
    When the canary window "Limited cohort window #1" carries 4 missions from cohort user "pilot-ana"
    Then the window decision is READY_FOR_LIMITED_COHORT_PILOT
    Given the router is in canary mode at 50%
    When the progressive window "Broadened rollout window #1" carries 6 missions
    Then the window decision is GO_BROADER_TRAFFIC_ACTIVE
    And the evidence log reads:
      | window                      | fallback rate | decision                       |
      | Kickoff                     | n/a           | START_SHADOW_WINDOW            |
      | Shadow baseline #1          | n/a           | HOLD_SHADOW                    |
      | Shadow window #2            | 0.250         | HOLD_SHADOW                    |
      | Shadow window #3            | 0.000         | READY_FOR_LIMITED_COHORT_PILOT |
      | Limited cohort window #1    | 0.000         | READY_FOR_LIMITED_COHORT_PILOT |
      | Broadened rollout window #1 | 0.000         | GO_BROADER_TRAFFIC_ACTIVE      |

  Scenario: A shadow window with no v2 traffic cannot promote
    Given the router is in primary mode
    When the shadow window "Shadow window without traffic" carries 5 missions
    Then the window decision is HOLD_SHADOW
    And the window fallback rate reads n/a

  Scenario Outline: A clean shadow window of <missions> missions is ready for a limited cohort
    Given the router is in shadow mode
    When the shadow window "Clean shadow" carries <missions> missions
    Then the window decision is READY_FOR_LIMITED_COHORT_PILOT

    Examples:
      | missions |
      | 1        |
      | 12       |

  Scenario: A fault in a limited-cohort window is covered by v1 and logged as recovered
    Given the router is in canary mode at 0%
    And the cohort allow-list holds "pilot-ana"
    When the canary window "Limited cohort window #2" carries 5 missions from cohort user "pilot-ana", the last 1 with an injected v2 fault
    Then the window decision is PARTIAL_TIMEOUT_RECOVERED
    And the window fallback rate reads 0.200
