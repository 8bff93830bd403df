"""Demo data for a newcomer's local database (`manage.py seed`, run by `make run`): accounts,
posts with drawn pictures, dibs in every state. Kept out of the feature areas: it sits above
them and imports their helpers, as a user of the app would."""
