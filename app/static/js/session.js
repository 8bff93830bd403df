// Who is logged in. Pages read it; login, signup, logout and profile edits change it.

import {api, refreshCsrfToken} from './api.js';

let currentUser = null;
const listeners = new Set();

export function getUser() {
  return currentUser;
}

export function onUserChange(listener) {
  listeners.add(listener);
}

export function setUser(user) {
  currentUser = user;
  for (const listener of listeners) listener(user);
}

/** Ask the API who we are; anonymous is a normal answer, not an error. */
export async function loadSession() {
  try {
    setUser((await api('GET', '/api/users/me')).user);
  } catch (error) {
    if (error.status !== 401) throw error;
    setUser(null);
  }
}

/** Sign up or log in: the session is rotated, and with it the CSRF token. */
async function startSession(path, fields) {
  const body = await api('POST', path, {json: fields});
  await refreshCsrfToken();
  setUser(body.user);
  return body.user;
}

export function signup(fields) {
  return startSession('/api/auth/signup', fields);
}

export function login(fields) {
  return startSession('/api/auth/login', fields);
}

export async function logout() {
  await api('POST', '/api/auth/logout');
  await refreshCsrfToken();
  setUser(null);
}
