/**
 * The renderer's entry: picks the bridge (Electron IPC or web-mode WebSocket), then renders the app.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BridgeProvider, getBridge, type Bridge } from './bridge';
import { ErrorNotice } from './components/ErrorNotice';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: Infinity },
  },
});

function Boot() {
  const [bridge, setBridge] = useState<Bridge | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getBridge().then(setBridge, setError);
  }, []);
  if (error) {
    return (
      <div className="boot">
        <ErrorNotice error={error} title="StoryCanvas could not start" />
      </div>
    );
  }
  if (!bridge) {
    return (
      <div className="boot">
        <span className="spinner" aria-hidden="true" /> Connecting to StoryCanvas…
      </div>
    );
  }
  return (
    <BridgeProvider bridge={bridge}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </BridgeProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Boot />
  </StrictMode>,
);
