# The operations manual's Python snippets (ops-manual-parts-6-7.txt, part 7), copied verbatim: only these
# comment lines and the section markers below are ours. tests/api/test_manual_snippets.py runs this file after
# replacing the base URL and the example credentials; it supplies what the manual leaves to the reader (imports,
# token, get_knowledge, update_knowledge, create_single_task). Not a module to import: the usage lines at the
# end of the client section run a login at import time. The Flask webhook handlers are tested elsewhere.

# --- part 7, "Memory Bank Integration", Implementation -------------------------------------------------------
# Memory Bank → Vikunja
def export_knowledge_to_vikunja(knowledge_id, api_token):
    knowledge = get_knowledge(knowledge_id)
    
    task = {
        "title": f"Research: {knowledge['title']}",
        "description": knowledge['content'],
        "project_id": os.getenv('VIKUNJA_PROJECT_ID'),
        "labels": ["research", knowledge.get('category')]
    }
    
    response = requests.post(
        'http://localhost:3456/api/v1/tasks',
        json=task,
        headers={'Authorization': f'Bearer {api_token}'}
    )
    
    task_id = response.json()['id']
    update_knowledge(knowledge_id, {'vikunja_task_id': task_id})
    return task_id

# --- part 7, "RAG API Integration", Implementation --------------------------------------------------------
# Create research task
def create_research_task(question, findings, api_token):
    task = {
        "title": f"Research: {question}",
        "description": f"## Question\n{question}\n\n## Findings\n{findings}",
        "project_id": os.getenv('VIKUNJA_RESEARCH_PROJECT'),
        "labels": ["research", "ai-generated"],
        "due_date": (datetime.now() + timedelta(days=7)).isoformat()
    }
    
    response = requests.post(
        'http://localhost:3456/api/v1/tasks',
        json=task,
        headers={'Authorization': f'Bearer {api_token}'}
    )
    
    return response.json()

# Monitor task completion
def wait_for_research_completion(task_id, api_token, timeout=3600):
    start_time = time.time()
    
    while time.time() - start_time < timeout:
        response = requests.get(
            f'http://localhost:3456/api/v1/tasks/{task_id}',
            headers={'Authorization': f'Bearer {api_token}'}
        )
        
        task = response.json()
        if task['done']:
            return task
        
        time.sleep(30)  # Check every 30 seconds
    
    raise TimeoutError(f"Task {task_id} not completed within {timeout}s")

# --- part 7, "API Client Patterns" ----------------------------------------------------------------------
class VikunjaClient:
    def __init__(self, base_url, username, password):
        self.base_url = base_url
        self.token = self._login(username, password)
    
    def _login(self, username, password):
        response = requests.post(
            f'{self.base_url}/api/v1/login',
            json={'username': username, 'password': password}
        )
        return response.json()['token']
    
    def _request(self, method, endpoint, **kwargs):
        headers = kwargs.get('headers', {})
        headers['Authorization'] = f'Bearer {self.token}'
        kwargs['headers'] = headers
        
        response = requests.request(
            method,
            f'{self.base_url}/api/v1{endpoint}',
            **kwargs
        )
        response.raise_for_status()
        return response.json()
    
    def get_task(self, task_id):
        return self._request('GET', f'/tasks/{task_id}')
    
    def create_task(self, task_data):
        return self._request('POST', '/tasks', json=task_data)
    
    def update_task(self, task_id, updates):
        return self._request('PUT', f'/tasks/{task_id}', json=updates)
    
    def delete_task(self, task_id):
        return self._request('DELETE', f'/tasks/{task_id}')
    
    def search_tasks(self, **filters):
        return self._request('GET', '/tasks/search', params=filters)

# Usage
client = VikunjaClient('http://localhost:3456', 'username', 'password')
tasks = client.search_tasks(done=False, sort_by='due_date')

# --- part 7, "Error Handling Patterns", Retry Logic ------------------------------------------------------
import time
from tenacity import retry, stop_after_attempt, wait_exponential

@retry(
    stop=stop_after_attempt(3),
    wait=wait_exponential(multiplier=1, min=2, max=10)
)
def create_task_with_retry(task_data):
    response = requests.post(
        'http://localhost:3456/api/v1/tasks',
        json=task_data,
        headers={'Authorization': f'Bearer {token}'}
    )
    response.raise_for_status()
    return response.json()

# Exponential backoff:
# Attempt 1: immediate
# Attempt 2: wait 2-4 seconds
# Attempt 3: wait 4-10 seconds

# --- part 7, "Error Handling Patterns", Batch Operations with Error Handling -----------------------------
def create_tasks_batch(tasks_list):
    results = {
        'success': [],
        'failed': []
    }
    
    for task in tasks_list:
        try:
            response = requests.post(
                'http://localhost:3456/api/v1/tasks',
                json=task,
                headers={'Authorization': f'Bearer {token}'},
                timeout=10
            )
            response.raise_for_status()
            results['success'].append(response.json())
        except RequestException as e:
            results['failed'].append({
                'task': task,
                'error': str(e)
            })
            # Continue with next task
    
    return results

# Parallel requests with controlled concurrency:

from concurrent.futures import ThreadPoolExecutor, as_completed

def create_tasks_parallel(tasks_list, max_workers=5):
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        futures = {
            executor.submit(create_single_task, task): task
            for task in tasks_list
        }
        
        results = {'success': [], 'failed': []}
        for future in as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
                results['success'].append(result)
            except Exception as e:
                results['failed'].append({'task': task, 'error': str(e)})
    
    return results
