"""The court portal (issue 14): magistrates see the cases of their own cabinet and send
decisions that the prison's clerk confirms or rejects. `services` holds the rules and the
audited reads; `views`, `forms`, `urls` are the pages, `api` the API."""
