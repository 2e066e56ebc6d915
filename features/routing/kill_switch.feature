@routing
Feature: Kill switch
  The kill switch overrides everything: whatever the mode, percentage, segment or cohort, every
  request goes to v1 while it is on.

  Scenario Outline: The kill switch beats <setting>
    Given the router is in <mode> mode at 100%
    And the cohort allow-list holds "beta-ann"
    And the kill switch is on
    When session "<session>" is routed
    Then the router selects v1 with reason "kill_switch"

    Examples:
      | setting             | mode      | session   |
      | a 100 % canary      | canary    | sess-1    |
      | candidate mode      | candidate | sess-2    |
      | a cohort member     | canary    | beta-ann  |
      | shadow mode         | shadow    | sess-3    |

  Scenario: Turning the kill switch on sends the very next requests to v1
    Given the router is in canary mode at 100%
    When 200 different sessions are routed
    Then all 200 were sent to v2 with reason "canary"
    When the kill switch is turned on
    And 200 different sessions are routed
    Then all 200 were sent to v1 with reason "kill_switch"

  Scenario: Turning the kill switch off again restores the canary
    Given the router is in canary mode at 100%
    And the kill switch is on
    When the kill switch is turned off
    And session "sess-9" is routed
    Then the router selects v2 with reason "canary"

  @wiremock
  Scenario: With the kill switch on the v2 engine receives no request at all
    Given the planner engines are stubbed with WireMock
    And the router is in candidate mode
    And the kill switch is on
    When a planning request for session "sess-10" is served
    Then the caller gets the answer of v1
    And the v1 planner stub received 1 request
    And the v2 planner stub received 0 requests
