"""Constants of the privacy area: my data's export and the deletion of an account."""

# An export reads every table about the student: bounded per account.
EXPORT_LIMIT = '5 per hour'
# The deletion checks a password: bounded like a login.
DELETE_ACCOUNT_LIMIT = '10 per hour'
# What the other side of a conversation sees of a deleted account.
DELETED_DISPLAY_NAME = 'Deleted user'
DELETED_REASON = 'The student deleted their account.'
EXPORT_VERSION = 1
# Columns never exported: secrets, even hashed.
SECRET_COLUMNS = frozenset({'password_hash', 'id_hash', 'token_hash'})
