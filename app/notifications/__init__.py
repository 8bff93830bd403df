"""The notifications area: what happened to my posts, dibs and conversations."""
