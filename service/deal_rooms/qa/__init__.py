"""A deal room's Q&A and FAQ (issue 8, §3): questions to the lead team, routed and answered,
published to the room's FAQ in the lead team's own wording."""
