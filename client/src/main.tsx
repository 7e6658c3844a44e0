import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App, firstScreenReady } from './app.tsx';
import './styles.css';

// The first screen's code first (at once for most screens): see firstScreenReady in app.tsx.
// Rendered as a transition: React then renders in slices and lets the browser handle input
// between them, instead of one long task (the document view's first render is the largest).
void firstScreenReady.then(() => {
  const root = createRoot(document.getElementById('root')!);
  startTransition(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
});
