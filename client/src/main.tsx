import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, firstScreenReady } from './app.tsx';
import './styles.css';

// The first screen's code first (at once for most screens): see firstScreenReady in app.tsx.
void firstScreenReady.then(() => createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>));
