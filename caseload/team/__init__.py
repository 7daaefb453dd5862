"""The coordinator's team: its members, leavers and their caseloads, absences and cover."""
