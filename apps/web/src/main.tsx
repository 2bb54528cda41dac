import { localStorageTokenStorage, UserhubProvider } from '@userhub/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app.js';
import { NoticeProvider } from './lib/notice.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

// The app is served by the API server itself, so the API is on this origin.
createRoot(root).render(
  <StrictMode>
    <UserhubProvider url={window.location.origin} storage={localStorageTokenStorage()}>
      <BrowserRouter>
        <NoticeProvider>
          <App />
        </NoticeProvider>
      </BrowserRouter>
    </UserhubProvider>
  </StrictMode>,
);
