<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Action</name>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-handled report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Void</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request void</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change command level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request parking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parking approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Void approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parking rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Void rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign re-check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to urging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review self-handling</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActionForm</name>
    <message>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: at most %2 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CasePane</name>
    <message>
        <source>Select a case to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated by another user: %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadlines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatches %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returns %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reworks %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extensions %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urged %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case has gone back and forth several times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A leader urged this case; the department must reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for approval: %1 request by %2 at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 working hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked: the clock is stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue by %1 (due %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left (due %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not classified yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filing condition: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing condition: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filing and closing conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no address given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show on map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done %1, late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No deadlines yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1 level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CategoryPicker</name>
    <message>
        <source>name, pinyin initials (e.g. bllj) or code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading categories…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>categories could not be loaded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangeLevelForm</name>
    <message>
        <source>From %1 level to %2 level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the other command level should dispatch it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DecideForm</name>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 working hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required to reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request is waiting on this case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DispatchForm</name>
    <message>
        <source>Looking up the responsible department…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type to search departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: instructions for the department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(suggested)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No responsible department is configured for this category; choose one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Street-level case (%1): the street&apos;s unit for this category.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1-level case: the category %2 is handled by %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a department from the list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Case %1 was changed by %2 at %3 after you opened it. Your change was not applied; the case has been reloaded, please decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be reached. Nothing was saved; try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allowed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case is now &apos;%1&apos;; this action is no longer possible. The case has been reloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please check %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It no longer exists (%1). Refresh and try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExtensionForm</name>
    <message>
        <source>working hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why more time is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileForm</name>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filing condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a current leaf category</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>New report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>street, number, landmark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the address and its grid (Enter in the address field)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grid code, or click on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No place yet: locate the address, click on the map or choose a grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what the caller sees, where exactly, since when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already fixed on the spot (self-handled, the shift leader reviews)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same category within %1 m, reported in the last 24 hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give a place to check for duplicates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this case instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your position does not take reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding the grid…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This point lies in no unit grid of the city.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No single grid matches %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Point %1, %2 in grid %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid %1 (%2); no point: the case goes to the grid&apos;s centre.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type an address first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address lookup not available: click on the map or choose a grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up the address…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address not found: click on the map or choose a grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible duplicates found: open one of them, or save anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible duplicates: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No similar case nearby.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the place: locate the address, click on the map or choose a grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A description is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the category from the list (or leave it empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait until the photos are read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report was not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Level</name>
    <message>
        <source>District</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Street</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Light</name>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Connection to the database lost at %1. Showing the last known data; reconnecting automatically… Actions cannot be saved until it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection restored; everything has been refreshed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GridStation — %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case queues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a new report (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes the next time GridStation starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Legend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No open case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Components</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outline map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tile map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overdue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <source>The case&apos;s unit grid (blue), the grids around it and the reported point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No location</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteForm</name>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A note: at most %1 characters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoList</name>
    <message>
        <source>Add photos…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected photos (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp *.gif)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 photos</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoNoteForm</name>
    <message>
        <source>The problem is real (confirmed on site)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not confirmed: nothing found on site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed: the result is acceptable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not fixed: send back for rework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve the on-the-spot fix (close the case)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject: file it as a normal case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: what was done to fix it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: what was found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait until the photos are read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This picture cannot be shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Position</name>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intake operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift leader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Street dispatcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Queue</name>
    <message>
        <source>My tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In handling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To re-check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left in the current stage (working time); sorts by deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time since the case was reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚑ urged; a waiting request (return, extension, parking, void)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, due %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urged, waiting for the department&apos;s reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for approval: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePane</name>
    <message>
        <source>Ctrl+%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case number, address or description; Enter goes to the list, Esc clears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category (with its subcategories)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region (with the regions inside it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All regions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the current filter under a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the grid filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved filters…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid %1 ×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of this filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReasonForm</name>
    <message>
        <source>Why the case is not for your department (the dispatcher decides)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it cannot be solved now, e.g. it needs a budget (the dispatcher decides)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the report should be voided (the shift leader decides)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the report is void: not real, a duplicate, or out of scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is not acceptable in the result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Request</name>
    <message>
        <source>Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Void</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>GridStation — Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GridStation command center</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digital urban management · sign in to your workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a shared PostgreSQL database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer has no city yet. Build the embedded demo city (Zhengzhou, 1,600 grids, six months of cases, about half a minute)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build demo city</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer (embedded database)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL address, e.g. postgresql://user@server:5432/gridstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a database address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the demo city…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo city ready. Sign in as dispatch1, shift1, intake1, sup001 or leader; password: demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not build the demo city: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown user or wrong password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the database: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <source>To verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To re-check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-handled, to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorForm</name>
    <message>
        <source>optional: what to look at on site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active supervisor patrols this grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a supervisor</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TextForm</name>
    <message>
        <source>Urging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What should happen, by when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What has been done, and when it will be finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
