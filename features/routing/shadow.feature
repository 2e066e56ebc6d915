@routing @wiremock
Feature: Shadow mode
  In shadow mode v1 serves every request while v2 runs beside it under its own time budget. The
  two decisions are diffed (agent, steps, tools, dry_run). Whatever v2 does — answer differently,
  fail or hang — the caller gets v1's answer, never later than the shadow budget allows.

  Background:
    Given the planner engines are stubbed with WireMock
    And the router is in shadow mode

  Scenario: A different v2 plan is diffed but v1's answer is served
    Given the v1 planner stub plans agent "inbox_triage" with tools "mail.search, mail.label"
    And the v2 planner stub plans agent "inbox_triage" with tools "mail.search, mail.archive"
    When a planning request for session "sess-shadow-1" is served
    Then the caller gets the answer of v1
    And the router selects v1 with reason "shadow"
    And the shadow outcome is "ok"
    And the decision diff reports tools_changed, any_change
    And the v2 planner stub received 1 request

  Scenario: Identical plans report no change
    Given the v1 planner stub plans agent "inbox_triage" with tools "mail.search"
    And the v2 planner stub plans agent "inbox_triage" with tools "mail.search"
    When a planning request for session "sess-shadow-2" is served
    Then the decision diff reports nothing

  Scenario: A different agent is reported as an agent change
    Given the v1 planner stub plans agent "inbox_triage" with tools "mail.search"
    And the v2 planner stub plans agent "knowledge_update" with tools "mail.search"
    When a planning request for session "sess-shadow-3" is served
    Then the answer names agent "inbox_triage"
    And the decision diff reports agent_changed, any_change

  Scenario: A failing shadow never changes the served answer
    Given the v2 planner stub answers HTTP 500
    When a planning request for session "sess-shadow-4" is served
    Then the caller gets the answer of v1
    And the shadow outcome is "exception"
    And no decision diff is recorded
    And the run does not count as a fallback

  Scenario: A hanging shadow costs the caller at most the shadow budget
    Given the shadow budget is 300ms
    And the v2 planner stub answers after 5 s
    When a planning request for session "sess-shadow-5" is served
    Then the caller gets the answer of v1
    And the shadow outcome is "timeout"
    And the caller waited less than 3 s
