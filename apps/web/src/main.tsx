import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { localStorageTokenStorage, UserhubProvider } from '@userhub/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app.js';
import { NoticeProvider } from './lib/notice.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

// One query client for the app's own hooks and the userhub bindings, so a sign-in or
// sign-out resets the same cache the pages read.
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

// The app is served by the API server itself, so the API is on this origin.
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <UserhubProvider
        url={window.location.origin}
        storage={localStorageTokenStorage()}
        queryClient={queryClient}
      >
        <BrowserRouter>
          <NoticeProvider>
            <App />
          </NoticeProvider>
        </BrowserRouter>
      </UserhubProvider>
    </QueryClientProvider>
  </StrictMode>,
);
