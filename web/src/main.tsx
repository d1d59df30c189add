import 'maplibre-gl/dist/maplibre-gl.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FEATURES } from './app/features.ts';
import { Root } from './app/root.tsx';
import { setupI18n } from './i18n/index.ts';

setupI18n(FEATURES);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
