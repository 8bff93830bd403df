// Who is logged in. Pages read it; login, signup, logout and profile edits change it.

import {api, refreshCsrfToken} from './api.js';
import {takeBoot} from './boot.js';

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

/**
 * Who we are: from the shell's boot data on the first load, else from the API, where a
 * visitor gets {user: null} with a 200, so nothing logs an error.
 */
export async function loadSession() {
  const booted = takeBoot('user');
  setUser(booted !== undefined ? booted : (await api('GET', '/api/auth/session')).user);
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
