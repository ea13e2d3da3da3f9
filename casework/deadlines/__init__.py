"""The deadline side of casework (LAW.md "How a deadline is computed"): the pure rules
(`rules`), the sweep that keeps every case's stored deadline and alerts current (`sweep`),
the alerts staff see and the limits table (`alerts`), the pre-trial backlog report and its
files (`backlog`, `backlog_export`), and their doors: pages (`views`, `forms`, `urls`), API
(`api`, `serializers`) and admin (`admin`). Import the module you need:
`from casework.deadlines import rules`, `from casework.deadlines.sweep import sweep`."""
