-- Every request posts one chat message; the session cookie and X-CSRFToken come as -H headers.
wrk.method = 'POST'
wrk.body = '{"body": "Is this still available? I can pick it up today."}'
wrk.headers['Content-Type'] = 'application/json'
