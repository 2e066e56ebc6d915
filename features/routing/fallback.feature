@routing @wiremock
Feature: Fallback to v1 when v2 fails
  When v2 is selected and fails — an error status, a timeout, an answer of the wrong shape or a
  broken connection — v1 serves the request and the run counts as a fallback (a gated metric).

  Background:
    Given the planner engines are stubbed with WireMock
    And the router is in canary mode at 100%
    # Budgets well under the 3 s slow stub and well over a healthy answer, even on a loaded CI machine (a healthy call
    # missing a short budget would be served by v1 and fail the scenario).
    And v2 may take at most 1500ms before v1 takes over

  Scenario: A healthy v2 serves its own answer
    When a planning request for session "sess-ok" is served
    Then the caller gets the answer of v2
    And the run does not count as a fallback

  Scenario: v2's own HTTP client giving up first is still a timeout
    Given the engines' own HTTP clients give up after 1s
    And the v2 planner stub answers after 3 s
    When a planning request for session "sess-client-timeout" is served
    Then the caller gets the answer of v1
    And the run counts as a fallback because of "timeout"

  Scenario Outline: v2 <failure> → v1 serves and a fallback is counted
    Given the v2 planner stub <failure>
    When a planning request for session "sess-fb" is served
    Then the caller gets the answer of v1
    And the run counts as a fallback because of "<reason>"
    And the v1 planner stub received 1 request

    Examples:
      | failure                                           | reason         |
      | answers HTTP 500                                  | exception      |
      | answers HTTP 503                                  | exception      |
      | answers after 3 s                                 | timeout        |
      | answers 200 with the body "this is not json"      | invalid_output |
      | answers 200 with the body "[1, 2, 3]"             | invalid_output |
      | answers 200 with the body "{}"                    | invalid_output |
      | fails with connection reset by peer               | exception      |
      | fails with empty response                         | exception      |
