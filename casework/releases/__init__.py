"""Release on time (LAW.md "Release"): release orders, sentence ends and their alerts.
`services` holds the rules (the sentence arithmetic itself is `casework.sentences`);
`views`, `forms` are the pages, `api` the API."""
